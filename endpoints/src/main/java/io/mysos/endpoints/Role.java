package io.mysos.endpoints;

/** The two endpoints of a cluster. */
public enum Role {
    READ_WRITE, READ_ONLY;

    /** As the API names it. */
    public String shown() {
        return this == READ_WRITE ? "read_write" : "read_only";
    }
}
