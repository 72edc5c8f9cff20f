package io.mysos.actors;

/** Marks events, states and messages that Akka serializes as JSON with Jackson (see application.conf bindings). */
public interface JsonSerializable {}
