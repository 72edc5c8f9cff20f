package io.mysos.http.dashboard;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.headers.CacheControl;
import akka.http.javadsl.model.headers.CacheDirectives;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;

/**
 * The dashboard: {@code GET /} serves a page (HTML, CSS and JavaScript from the jar, nothing from
 * elsewhere) that reads the API ({@code GET /clusters}, {@code GET /clusters/{name}/events}) in the
 * browser and polls it every second. Read-only; it adds no API of its own.
 */
public final class DashboardRoutes extends AllDirectives {
    public Route route() {
        // Never cached: a new Mysos version's page must not run with an old script.
        return get(() -> respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE), () -> concat(
                pathSingleSlash(() -> getFromResource("dashboard/index.html", ContentTypes.TEXT_HTML_UTF8)),
                pathPrefix("dashboard", () -> getFromResourceDirectory("dashboard")))));
    }
}
