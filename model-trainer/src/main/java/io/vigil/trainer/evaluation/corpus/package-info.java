/**
 * Public-benchmark scorers: the NAB scoring rules, SKAB's per-row metrics, window-level recall,
 * precision and delay, and the NAB file layout, over a corpus of {@link io.vigil.trainer.evaluation.corpus.LabelledFile}s.
 */
package io.vigil.trainer.evaluation.corpus;
