package dev.relay.bench.sizing;

import java.util.SplittableRandom;

/**
 * A day of telephony calls: Poisson arrivals whose rate follows a diurnal curve, and log-normal
 * call durations.
 *
 * <p>The rate is a raised cosine over the day: {@code peakRatePerS} at {@code peakAtS}, {@code
 * troughRatio × peakRatePerS} twelve hours away. The peak rate is set from the wanted peak
 * concurrency by Little's law ({@code concurrency = rate × mean duration}), which holds because the
 * rate changes over hours and calls last minutes. Arrivals are drawn by thinning a Poisson process
 * at the peak rate. Durations are log-normal with the given mean and shape {@code sigma} (of the
 * underlying normal), so {@code mu = ln(mean) − sigma²/2}.
 *
 * <p>{@link #residualS} draws how much longer a call already in progress at a given moment will
 * last, in the steady state: the whole length of such a call is length-biased (for a log-normal,
 * {@code mu + sigma²}), and the call is at a uniformly random point of it. This lets a replay start
 * in the middle of the day with the right calls already up, instead of hours of warm-up.
 *
 * <p>Times in seconds of simulated day time. Not thread-safe (one random stream).
 */
final class ArrivalModel {
    static final double DAY_S = 86_400;

    private final double peakRatePerS;
    private final double troughRatio;
    private final double peakAtS;
    private final double mu;
    private final double sigma;
    private final SplittableRandom random;

    ArrivalModel(int peakCalls, double meanDurationS, double sigma, double troughRatio, double peakAtS, long seed) {
        if (peakCalls <= 0 || meanDurationS <= 0 || sigma < 0 || troughRatio < 0 || troughRatio > 1) {
            throw new IllegalArgumentException("peak calls and mean duration > 0, sigma >= 0, trough in [0, 1]");
        }
        this.peakRatePerS = peakCalls / meanDurationS;
        this.troughRatio = troughRatio;
        this.peakAtS = peakAtS;
        this.sigma = sigma;
        this.mu = Math.log(meanDurationS) - sigma * sigma / 2;
        this.random = new SplittableRandom(seed);
    }

    /** Calls arriving per second at day time {@code tS}. */
    double ratePerS(double tS) {
        double shape = (1 + Math.cos(2 * Math.PI * (tS - peakAtS) / DAY_S)) / 2;
        return peakRatePerS * (troughRatio + (1 - troughRatio) * shape);
    }

    /** Calls expected in progress at {@code tS} (Little's law at the rate of that moment). */
    double concurrencyAt(double tS) {
        return ratePerS(tS) * Math.exp(mu + sigma * sigma / 2);
    }

    /** The first arrival strictly after {@code tS}. */
    double nextArrivalS(double tS) {
        double t = tS;
        while (true) {
            t += -Math.log(1 - random.nextDouble()) / peakRatePerS;
            if (random.nextDouble() * peakRatePerS <= ratePerS(t)) {
                return t;
            }
        }
    }

    /** A new call's duration in seconds. */
    double durationS() {
        return Math.exp(mu + sigma * gaussian());
    }

    /** The time left of a call found in progress (see the class comment), in seconds. */
    double residualS() {
        double whole = Math.exp(mu + sigma * sigma + sigma * gaussian());
        return whole * random.nextDouble();
    }

    private double gaussian() {
        // Box-Muller; one of the pair is enough here.
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
