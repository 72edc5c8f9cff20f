package io.mysos.http;

import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;

/** A failure the API answers with a status and a JSON {@code error} message. */
public final class ApiError extends RuntimeException {
    private final StatusCode status;

    public ApiError(StatusCode status, String message) {
        super(message);
        this.status = status;
    }

    public StatusCode status() {
        return status;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(StatusCodes.BAD_REQUEST, message);
    }

    public static ApiError notFound(String cluster) {
        return new ApiError(StatusCodes.NOT_FOUND, "cluster '" + cluster + "' does not exist");
    }
}
