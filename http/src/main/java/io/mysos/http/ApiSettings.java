package io.mysos.http;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;

/**
 * How the API presents itself and what it accepts: the address it gives out in {@code cluster_url}
 * (configured, never taken from a request's Host header), how long it waits for the scheduler, and
 * the limits on one request's input ({@code mysos.http} in reference.conf).
 */
public record ApiSettings(URI advertisedUrl, Duration askTimeout, long maxBodyBytes, JsonInput.Limits json) {
    public ApiSettings {
        advertisable(advertisedUrl);
    }

    /** {@code url}, if clients can use it as the base of {@code cluster_url}: http(s)://host[:port][/path]. */
    public static URI advertisable(URI url) {
        var scheme = url.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || url.getHost() == null || url.getRawQuery() != null
                || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the advertised URL must be http(s)://host[:port], not " + url);
        }
        return url;
    }

    public static ApiSettings fromConfig(Config config, URI advertisedUrl) {
        var http = config.getConfig("mysos.http");
        return new ApiSettings(advertisedUrl, http.getDuration("ask-timeout"), http.getBytes("max-body-size"),
                new JsonInput.Limits(http.getInt("max-json-depth"), http.getInt("max-json-text-length")));
    }

    /** {@code http://host:port}, for an API that is reached where it listens. */
    public static URI urlOf(String host, int port) {
        var shown = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("http://" + shown + ":" + port);
    }

    /** Where clients find cluster {@code name}. */
    String clusterUrl(String name) {
        var base = advertisedUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/clusters/" + name;
    }
}
