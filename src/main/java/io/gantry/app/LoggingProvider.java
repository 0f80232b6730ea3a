package io.gantry.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.util.StatusPrinter2;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider {@link Main} names ({@code slf4j.provider}): Logback, configured by
 * {@link LogConfigurator} directly.
 *
 * <p>Logback's own provider first asks a {@code ServiceLoader} for configurators, which looks for
 * {@code META-INF/services/…Configurator} in every jar on the class path: some 90 jars opened and
 * their directories read (about 50 ms of CPU in a cold JVM) on every start, for the one configurator
 * that is Gantry's. A {@code -Dlogback.configurationFile=…} given by the user still goes through
 * Logback's own search, so it wins as before.
 */
public final class LoggingProvider implements SLF4JServiceProvider {

    private final LoggerContext context = new LoggerContext();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

    @Override
    public void initialize() {
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter(mdc);
        if (System.getProperty("logback.configurationFile") != null) {
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                // Logback keeps the reason as a status, printed next
            }
            new StatusPrinter2().printInCaseOfErrorsOrWarnings(context); // what is wrong with the user's file
        } else {
            LogConfigurator configurator = new LogConfigurator();
            configurator.setContext(context);
            configurator.configure(context);
        }
        context.start();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return context;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return LogbackServiceProvider.REQUESTED_API_VERSION;
    }
}
