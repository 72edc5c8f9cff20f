package io.mysos.executor.mysql;

import io.mysos.executor.mysql.MySqlInstallation.Flavor;

/** The init file mysqld runs at start: the admin account, created on each instance and never binlogged. */
final class InitSql {
    private InitSql() {}

    static String adminAccount(Flavor flavor, String user, String password) {
        var name = SqlLiteral.userName(user);
        var secret = SqlLiteral.password(password);
        var sql = new StringBuilder();
        // Not binlogged: every instance makes its own, so replicas never replay (or conflict on) it.
        sql.append("SET sql_log_bin=0;\n");
        if (flavor == Flavor.MYSQL) {
            // super_read_only (set in my.cnf) refuses account changes even here; read_only stays on.
            sql.append("SET GLOBAL super_read_only=OFF;\n");
            // --initialize-insecure leaves root without a password: give it the admin's.
            sql.append("ALTER USER 'root'@'localhost' IDENTIFIED BY ").append(secret).append(";\n");
        }
        for (var host : new String[] {"%", "localhost"}) {
            var account = name + "@'" + host + "'";
            sql.append("CREATE USER IF NOT EXISTS ").append(account).append(" IDENTIFIED BY ").append(secret).append(";\n");
            sql.append("ALTER USER ").append(account).append(" IDENTIFIED BY ").append(secret).append(";\n");
            sql.append("GRANT ALL PRIVILEGES ON *.* TO ").append(account).append(" WITH GRANT OPTION;\n");
        }
        if (flavor == Flavor.MYSQL) {
            sql.append("SET GLOBAL super_read_only=ON;\n");
        }
        return sql.toString();
    }
}
