package io.mysos.actors.mesos;

import com.mesosphere.mesos.rx.java.AwaitableSubscription;
import com.mesosphere.mesos.rx.java.SinkOperation;
import com.mesosphere.mesos.rx.java.SinkOperations;
import com.mesosphere.mesos.rx.java.protobuf.ProtobufMesosClientBuilder;
import com.mesosphere.mesos.rx.java.util.UserAgentEntries;
import java.net.URI;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import rx.subjects.PublishSubject;
import rx.subjects.Subject;

/**
 * One subscription to a Mesos master through mesos-rxjava: events go to {@code onEvent}, the end
 * of the stream (closed by the master, or failed) to {@code onEnd}, and {@link #send} posts calls
 * on the same subscription (mesos-rxjava adds the stream id the master gave). Callbacks run on
 * mesos-rxjava's threads; the gateway turns them into messages to itself.
 */
final class MesosConnection {
    /** Ends the call stream, and with it the subscription (rx ends a merge on the first error). */
    static final class Closed extends RuntimeException {
        Closed() {
            super("connection closed by the scheduler", null, false, false);
        }
    }

    private final Subject<Optional<SinkOperation<Call>>, Optional<SinkOperation<Call>>> calls =
            PublishSubject.<Optional<SinkOperation<Call>>>create().toSerialized();
    private final AwaitableSubscription subscription;

    private MesosConnection(URI schedulerApi, Call subscribe, Consumer<Event> onEvent, Consumer<Optional<Throwable>> onEnd) {
        var client = ProtobufMesosClientBuilder.schedulerUsingProtos()
                .mesosUri(schedulerApi)
                .applicationUserAgentEntry(UserAgentEntries.literal("mysos", "0.1"))
                .subscribe(subscribe)
                .processStream(events -> events
                        .doOnNext(onEvent::accept)
                        .doOnCompleted(() -> onEnd.accept(Optional.empty()))
                        .doOnError(e -> onEnd.accept(Optional.of(e)))
                        .map(e -> Optional.<SinkOperation<Call>>empty())
                        .mergeWith(calls))
                .build();
        this.subscription = client.openStream();
    }

    /** Subscribes now; the SUBSCRIBED event, or the end, follows. */
    static MesosConnection open(URI schedulerApi, Call subscribe, Consumer<Event> onEvent, Consumer<Optional<Throwable>> onEnd) {
        return new MesosConnection(schedulerApi, subscribe, onEvent, onEnd);
    }

    /** Posts a call; a refusal by the master (4xx/5xx) goes to {@code onRefused}. */
    void send(Call call, BiConsumer<Call, Throwable> onRefused) {
        calls.onNext(Optional.of(SinkOperations.create(call, () -> { }, e -> onRefused.accept(call, e))));
    }

    void close() {
        calls.onError(new Closed());
        subscription.unsubscribe();
    }

    /**
     * The same URI with {@code principal:secret} as its user info: mesos-rxjava sends it as HTTP
     * basic authentication ({@code Authorization: Basic ...}) on every request, SUBSCRIBE and calls alike.
     */
    static URI authenticated(URI api, Optional<String> principal, Optional<String> secret) {
        if (principal.isEmpty() || secret.isEmpty()) {
            return api;
        }
        return authenticated(api, principal.get(), secret.get());
    }

    static URI authenticated(URI api, String principal, String secret) {
        try {
            return new URI(api.getScheme(), principal + ":" + secret, api.getHost(), api.getPort(), api.getPath(), null, null);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("cannot add credentials to " + api, e);
        }
    }

    /** {@code http://host:port/api/v1/scheduler} for {@code host:port}. */
    static URI schedulerApi(String master) {
        var address = master.contains("://") ? master : "http://" + master;
        return URI.create(address.replaceAll("/+$", "") + "/api/v1/scheduler");
    }
}
