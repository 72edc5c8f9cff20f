package io.mysos.endpoints;

import com.typesafe.config.Config;
import io.mysos.core.endpoint.ReadOnlyLimits;
import java.time.Duration;

/** {@code mysos.endpoints} in reference.conf: how the endpoints wait, how far a replica may lag, how the watch answers. */
public record EndpointSettings(Duration connectWait, ReadOnlyLimits limits, Duration watchTimeout, Duration pollInterval) {
    public static EndpointSettings fromConfig(Config config) {
        var c = config.getConfig("mysos.endpoints");
        return new EndpointSettings(c.getDuration("connect-wait"),
                new ReadOnlyLimits(c.getLong("read-only.max-lag-transactions"), c.getLong("read-only.max-lag-seconds")),
                c.getDuration("watch-timeout"), c.getDuration("poll-interval"));
    }
}
