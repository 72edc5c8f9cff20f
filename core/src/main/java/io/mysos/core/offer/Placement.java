package io.mysos.core.offer;

import io.mysos.core.resources.Resources;

/** One instance of {@code cluster} to be launched from an offer, on its agent, listening on {@code port}. */
public record Placement(String cluster, String offerId, String agentId, String host, int port, Resources resources) {}
