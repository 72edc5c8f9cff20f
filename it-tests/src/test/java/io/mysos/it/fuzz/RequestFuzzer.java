package io.mysos.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random requests to the API from a seeded {@link Random}, so a failing run can be replayed:
 * methods, paths (valid and invalid names, bad percent-encoding, raw UTF-8, very long), headers,
 * content types, and bodies (forms and JSON with values of every type, nesting, duplicates,
 * trailing data, invalid UTF-8, random bytes). Some requests are valid creates, so the create
 * path runs too; their names come from a small pool, so some collide.
 */
final class RequestFuzzer {
    /** One request as bytes on the wire: the head (request line and headers, no blank line) and the body. */
    record FuzzRequest(String method, String target, String head, byte[] body, boolean validCreate) {}

    private static final String[] METHODS = {"GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS", "TRACE", "BREW", "get", "CONNECT"};
    private static final String[] FIELDS = {"cluster_user", "num_nodes", "size", "cluster_password", "backup_id", "semi_sync",
        "password", "target", "force", "x", "", "cluster_user[]", "size.mem", "backup_interval", "backup_keep", "restore_to",
        "from_seq", "type", "limit", "incarnation", "after", "wait", "fenced"};
    /** The routes under a cluster besides its own: backups, the audit trail, endpoints, failover and switchover. */
    private static final String[] CLUSTER_ROUTES = {"/backups", "/events", "/failovers", "/endpoints", "/failover", "/switchover",
        "/backups/x", "/events/", "/metrics"};
    /** Routes of the whole server: the audit trail of every cluster, metrics, the dashboard's files. */
    private static final String[] SERVER_ROUTES = {"/events", "/metrics", "/events/", "/health", "/dashboard.js", "/style.css",
        "/clusters/keep/events", "/clusters/keep/failovers", "/clusters/keep/backups", "/clusters/keep/endpoints"};
    private static final String[] CONTENT_TYPES = {"application/x-www-form-urlencoded", "application/json",
        "application/json; charset=UTF-8", "multipart/form-data; boundary=fz", "text/plain", "application/xml", "",
        "application/json; charset=ISO-8859-1", "application/x-www-form-urlencoded; charset=UTF-16", "garbage", "*/*"};
    private static final String[] WEIRD = {"+3", "３", "٣", "३", "-1", "0", "1e2", "0x3", "NaN", "Infinity", "3\u00a0", " 3 ", "",
        "true", "null", "'; DROP USER root; --", "root", "\u0000", "\u202e", "%", "%zz", "%C3%28", "\ud800", "😀", "app\napp",
        "512mb", "1b", "1e-300", "99999999999tb", "{", "}", "[]", "{}", "2026-12-01T06:30:00Z", "+999999999-12-31T23:59:59Z",
        "0-1-18446744073709551616", "0-1-5,0-2-6"};

    private final Random random;

    RequestFuzzer(long seed) {
        this.random = new Random(seed);
    }

    FuzzRequest next() {
        if (random.nextInt(100) < 3) {
            return validCreate();
        }
        var method = pick(METHODS);
        var target = target();
        var contentType = pick(CONTENT_TYPES);
        byte[] body = switch (random.nextInt(6)) {
            case 0 -> new byte[0];
            case 1, 2 -> form().getBytes(StandardCharsets.UTF_8);
            case 3, 4 -> json().getBytes(StandardCharsets.UTF_8);
            default -> bytes();
        };
        if (contentType.startsWith("multipart") && random.nextBoolean()) {
            body = multipart().getBytes(StandardCharsets.UTF_8);
        }
        var head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1");
        if (!contentType.isEmpty()) {
            head.append("\r\nContent-Type: ").append(contentType);
        }
        head.append(headers());
        return new FuzzRequest(method, target, head.toString(), body, false);
    }

    private FuzzRequest validCreate() {
        var name = "fz-" + random.nextInt(40);
        var fields = new ArrayList<String>(List.of("cluster_user=app" + random.nextInt(5),
                "num_nodes=" + (1 + random.nextInt(3))));
        if (random.nextBoolean()) {
            fields.add("size=" + enc("{\"cpus\":0.5,\"mem\":\"256mb\",\"disk\":\"1gb\"}"));
        }
        var target = "/clusters/" + name;
        var head = "POST " + target + " HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded";
        return new FuzzRequest("POST", target, head, String.join("&", fields).getBytes(StandardCharsets.UTF_8), true);
    }

    private String target() {
        var path = switch (random.nextInt(15)) {
            case 12 -> "/clusters/" + name() + pick(CLUSTER_ROUTES);
            case 13, 14 -> pick(SERVER_ROUTES);
            case 0 -> "/clusters";
            case 1 -> "/clusters/";
            case 2 -> "/health";
            case 3 -> "/";
            case 4 -> "/clusters/" + name() + "/failover";
            case 5 -> "/clusters/" + name() + "/" + name();
            case 6 -> "/" + "a".repeat(random.nextInt(3_000));
            case 7 -> "/clusters/" + pick(new String[] {"%zz", "%", "%C3%28", "%00", "%2F", "%2e%2e", "..", "%E2%82", "a%20b", "%F0%9F%98%80"});
            case 8 -> "//clusters//" + name();
            case 9 -> "/clusters/" + new String(new char[] {(char) (0x80 + random.nextInt(0x700))});
            default -> "/clusters/" + name();
        };
        if (random.nextInt(8) == 0) {
            path += "?" + form();
        }
        // Raw spaces and control characters in the target: the request line itself breaks.
        if (random.nextInt(40) == 0) {
            path += pick(new String[] {" x", "\t", "\u0001", "#frag", "?%%"});
        }
        return path;
    }

    private String name() {
        return switch (random.nextInt(6)) {
            case 0 -> pick(WEIRD).replace(" ", "%20").replace("\n", "%0A");
            case 1 -> "a".repeat(1 + random.nextInt(120));
            default -> "fz-" + random.nextInt(40);
        };
    }

    private String headers() {
        var headers = new StringBuilder();
        int count = random.nextInt(4) == 0 ? random.nextInt(80) : random.nextInt(3);
        for (int i = 0; i < count; i++) {
            switch (random.nextInt(8)) {
                case 0 -> headers.append("\r\nX-Long: ").append("v".repeat(random.nextInt(20_000)));
                case 1 -> headers.append("\r\nAccept: ").append(pick(new String[] {"text/html", "application/xml", "*/*", "application/json"}));
                case 2 -> headers.append("\r\nX-Forwarded-Host: evil.example");
                case 3 -> headers.append("\r\nContent-Encoding: ").append(pick(new String[] {"gzip", "deflate", "br", "identity"}));
                case 4 -> headers.append("\r\nBad Header: v");
                case 5 -> headers.append("\r\nX-Utf8: \u00e9\u00e8");
                case 6 -> headers.append("\r\nExpect: 100-continue");
                default -> headers.append("\r\nX-H").append(i).append(": ").append(random.nextInt());
            }
        }
        return headers.toString();
    }

    private String form() {
        var parts = new ArrayList<String>();
        int fields = random.nextInt(6);
        for (int i = 0; i < fields; i++) {
            var name = pick(FIELDS);
            var value = value();
            parts.add(random.nextInt(10) == 0 ? name + "=" + value : enc(name) + "=" + (random.nextInt(6) == 0 ? value : enc(value)));
            if (random.nextInt(8) == 0) {
                parts.add(enc(name) + "=" + enc(value()));
            }
        }
        if (random.nextInt(15) == 0) {
            parts.add(pick(new String[] {"%", "%zz", "=", "&&", "a=%C3%28", "=x"}));
        }
        return String.join("&", parts);
    }

    private String value() {
        return switch (random.nextInt(8)) {
            case 0 -> pick(WEIRD);
            case 1 -> String.valueOf(random.nextInt(200) - 50);
            case 2 -> json();
            case 3 -> "x".repeat(random.nextInt(random.nextInt(10) == 0 ? 100_000 : 100));
            case 4 -> "app";
            case 5 -> "{\"cpus\":" + random.nextDouble() * 4 + ",\"mem\":\"" + random.nextInt(2048) + "mb\"}";
            default -> randomText(random.nextInt(30));
        };
    }

    private String json() {
        var out = new StringBuilder();
        jsonValue(out, 0, random.nextInt(10) == 0 ? 1 + random.nextInt(40) : 3, true);
        if (random.nextInt(12) == 0) {
            out.append(pick(new String[] {" trailing", "}", "]", "{}", ",", "\u0000", " "}));
        }
        if (random.nextInt(25) == 0) {
            int depth = pick(new int[] {100, 2_000, 20_000, 30_000});
            var open = random.nextBoolean() ? "[" : "{\"a\":";
            var close = open.equals("[") ? "]" : "}";
            return "{\"size\":" + open.repeat(depth) + (open.equals("[") ? "" : "1") + close.repeat(depth) + "}";
        }
        return out.toString();
    }

    /** A JSON value; objects are built iteratively enough here (depth is small) to recurse. */
    private void jsonValue(StringBuilder out, int depth, int maxDepth, boolean object) {
        if (object || (depth < maxDepth && random.nextInt(4) == 0)) {
            out.append('{');
            int fields = random.nextInt(depth == 0 ? 6 : 3);
            for (int i = 0; i < fields; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append('"').append(random.nextInt(3) == 0 ? randomText(5) : pick(FIELDS)).append("\":");
                jsonValue(out, depth + 1, maxDepth, false);
            }
            out.append('}');
            return;
        }
        if (depth < maxDepth && random.nextInt(6) == 0) {
            out.append('[');
            int items = random.nextInt(3);
            for (int i = 0; i < items; i++) {
                if (i > 0) {
                    out.append(',');
                }
                jsonValue(out, depth + 1, maxDepth, false);
            }
            out.append(']');
            return;
        }
        switch (random.nextInt(9)) {
            case 0 -> out.append(random.nextBoolean());
            case 1 -> out.append("null");
            case 2 -> out.append(random.nextInt(200) - 50);
            case 3 -> out.append(random.nextDouble() * pick(new double[] {1, 1e300, 1e-300}));
            case 4 -> out.append("9".repeat(1 + random.nextInt(60)));
            case 5 -> out.append('"').append(pick(WEIRD).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                    .replace("\u0000", "\\u0000")).append('"');
            case 6 -> out.append("\"app\"");
            case 7 -> out.append(pick(new String[] {"NaN", "'x'", "01", "1.", ".5", "+1", "\"\\uZZZZ\"", "\"\\ud800\""}));
            default -> out.append('"').append(randomText(random.nextInt(20))).append('"');
        }
    }

    private String multipart() {
        return "--fz\r\nContent-Disposition: form-data; name=\"" + pick(FIELDS) + "\"\r\n\r\n" + value()
                + (random.nextBoolean() ? "\r\n--fz--\r\n" : "\r\n--f");
    }

    private byte[] bytes() {
        var out = new ByteArrayOutputStream();
        int length = random.nextInt(random.nextInt(20) == 0 ? 100_000 : 300);
        for (int i = 0; i < length; i++) {
            out.write(random.nextInt(256));
        }
        if (random.nextBoolean()) {
            // A JSON object holding invalid UTF-8.
            var prefix = "{\"cluster_user\":\"".getBytes(StandardCharsets.UTF_8);
            var result = new ByteArrayOutputStream();
            result.writeBytes(prefix);
            result.write(0xC3);
            result.write(0x28);
            result.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
            return result.toByteArray();
        }
        return out.toByteArray();
    }

    private String randomText(int length) {
        var text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(switch (random.nextInt(4)) {
                case 0 -> 'a' + random.nextInt(26);
                case 1 -> 0x20 + random.nextInt(0x5f);
                case 2 -> 0xa0 + random.nextInt(0x2000);
                default -> 0x1F600 + random.nextInt(50);
            });
        }
        return text.toString();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private int pick(int[] values) {
        return values[random.nextInt(values.length)];
    }

    private double pick(double[] values) {
        return values[random.nextInt(values.length)];
    }
}
