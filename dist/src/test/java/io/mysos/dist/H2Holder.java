package io.mysos.dist;

import java.sql.DriverManager;

/** A second process holding an H2 journal open, as a running mysos local does (AuditCommandTest). */
public final class H2Holder {
    private H2Holder() {}

    public static void main(String[] args) throws Exception {
        try (var connection = DriverManager.getConnection(args[0], "sa", "")) {
            System.out.println("open");
            System.out.flush();
            System.in.read();
        }
    }
}
