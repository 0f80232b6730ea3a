package io.gantry.ui;

import java.text.NumberFormat;
import java.util.Locale;

/**
 * Counts as the window shows them: "1 image", "10,000 images", grouped by the user's locale (as
 * Docker Desktop and Podman Desktop do), so a big number reads at a glance.
 */
public final class Counts {

    private Counts() {
    }

    /** {@code n} grouped by the locale's rules, then {@code noun}, with an "s" unless {@code n} is 1. */
    public static String of(long n, String noun) {
        return number(n) + " " + noun + (n == 1 ? "" : "s");
    }

    /** {@code n} grouped by the locale's rules ("10,000" in English, "10.000" in German). */
    public static String number(long n) {
        return NumberFormat.getIntegerInstance(Locale.getDefault(Locale.Category.FORMAT)).format(n);
    }
}
