package io.cwbridge.ingest;

/**
 * The intake of one kind of parked input: a replay hands it the row's (fixed) text, which it takes
 * in like new input. Still invalid, the text is parked again as a new row (outcome PARKED) and
 * the replayed row becomes SUPERSEDED.
 */
public interface ParkedInputIntake {

    ParkedEvent.Kind kind();

    IntakeResult replay(String text);
}
