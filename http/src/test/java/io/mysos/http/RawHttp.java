package io.mysos.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP/1.1 client that sends exactly the bytes it is given (an invalid URI, bad encodings,
 * duplicate headers: what java.net.http refuses to send) and reads one answer on a closed connection.
 */
public final class RawHttp {
    private RawHttp() {}

    /** One answer: status, headers (lower-case names) and body. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    /** Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and {@code body}. */
    public static Answer send(int port, String head, byte[] body) throws IOException {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            var fullHead = head + "\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
            out.write(fullHead.getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // The server may answer (413) and close before it has read everything: read that answer.
            }
            var bytes = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(bytes);
            } catch (IOException e) {
                // A reset after a complete answer: keep what arrived.
            }
            return parse(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    public static Answer request(int port, String method, String target, String contentType, String body) throws IOException {
        var head = method + " " + target + " HTTP/1.1" + (contentType.isEmpty() ? "" : "\r\nContent-Type: " + contentType);
        return send(port, head, body.getBytes(StandardCharsets.UTF_8));
    }

    static Answer parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no complete answer: '" + raw + "'");
        }
        var lines = raw.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        var headers = new TreeMap<String, String>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Answer(status, headers, raw.substring(end + 4));
    }
}
