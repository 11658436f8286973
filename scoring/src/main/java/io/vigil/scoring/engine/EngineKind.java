package io.vigil.scoring.engine;

import java.util.Locale;

/** Which forward pass scores events. */
public enum EngineKind {
    /** Plain Java over the DL4J-trained weights (the default; matches DL4J within 1e-5). */
    NATIVE,
    /** DL4J itself, batched across keys. */
    DL4J;

    public static EngineKind parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown engine '" + s + "': use native or dl4j");
        }
    }
}
