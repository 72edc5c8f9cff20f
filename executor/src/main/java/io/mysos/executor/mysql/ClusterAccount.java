package io.mysos.executor.mysql;

/** The cluster's application account, which every instance makes for itself at its start. */
public record ClusterAccount(String user, String password) {
    public ClusterAccount {
        SqlLiteral.userName(user);
        SqlLiteral.password(password);
    }

    /** Logged with the server; the password must not be. */
    @Override
    public String toString() {
        return "ClusterAccount[" + user + "]";
    }
}
