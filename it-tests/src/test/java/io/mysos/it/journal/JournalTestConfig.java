package io.mysos.it.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.mysos.journal.JournalKind;
import java.util.Map;

/** Builds an ActorSystem config the way Mysos does: connection first, then the journal's HOCON. */
final class JournalTestConfig {

    private JournalTestConfig() {
    }

    static Config of(JournalKind kind, String url, String user, String password) {
        return ConfigFactory.parseMap(Map.of(
                        "mysos.journal.url", url,
                        "mysos.journal.user", user,
                        "mysos.journal.password", password))
                .withFallback(ConfigFactory.parseResources("io/mysos/it/journal/journal-test.conf"))
                .withFallback(ConfigFactory.parseResources(kind.configResource()))
                .withFallback(ConfigFactory.load())
                .resolve();
    }
}
