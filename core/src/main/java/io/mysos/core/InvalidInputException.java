package io.mysos.core;

/** A value from outside (HTTP, CLI, task data) that Mysos will not accept; the message says why. */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }
}
