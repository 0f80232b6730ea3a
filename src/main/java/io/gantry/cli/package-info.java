/**
 * The {@code gantry} command line (picocli) over the same services the GUI uses, so everything the
 * GUI does can be scripted and benchmarked.
 */
package io.gantry.cli;
