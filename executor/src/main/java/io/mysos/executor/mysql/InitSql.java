package io.mysos.executor.mysql;

import io.mysos.executor.mysql.MySqlInstallation.Flavor;
import java.util.Optional;

/**
 * The init file mysqld runs at start, before it takes connections: the admin account and the
 * cluster user, made on each instance and never binlogged, so no password reaches a binary or
 * relay log and replicas never replay (or conflict on) account changes.
 */
final class InitSql {
    private InitSql() {}

    static String adminAccount(Flavor flavor, String user, String password) {
        return accounts(flavor, user, password, Optional.empty());
    }

    static String accounts(Flavor flavor, String adminUser, String adminPassword, Optional<ClusterAccount> clusterUser) {
        var name = SqlLiteral.userName(adminUser);
        var secret = SqlLiteral.password(adminPassword);
        var sql = new StringBuilder();
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
        clusterUser.ifPresent(cluster -> SqlDialect.ensureUser(cluster.user(), cluster.password())
                .forEach(statement -> sql.append(statement).append(";\n")));
        if (flavor == Flavor.MYSQL) {
            sql.append("SET GLOBAL super_read_only=ON;\n");
        }
        return sql.toString();
    }
}
