package io.helloserverless.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dagger.Component;
import dagger.Module;
import io.helloserverless.lambda.Functions.Function;
import io.helloserverless.lambda.Functions.Uses;
import io.helloserverless.lambda.wiring.CacheModule;
import io.helloserverless.lambda.wiring.ChangeEventsModule;
import io.helloserverless.lambda.wiring.DatabaseModule;
import io.helloserverless.lambda.wiring.HealthModule;
import io.helloserverless.lambda.wiring.MigrationModule;
import io.helloserverless.lambda.wiring.SecretsModule;
import io.helloserverless.lambda.wiring.StorageModule;
import io.helloserverless.lambda.wiring.UseCaseModule;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each declaration says what its handler really is: the packaging and the hosts trust it. */
class FunctionsTest {

    /** What each module's adapter connects to. */
    private static final Map<Class<?>, Set<Uses>> MODULE_USES = Map.of(
            DatabaseModule.class, Set.of(Uses.DATABASE),
            StorageModule.class, Set.of(Uses.STORAGE),
            CacheModule.class, Set.of(Uses.CACHE),
            ChangeEventsModule.class, Set.of(Uses.DATABASE, Uses.CHANGE_EVENTS),
            MigrationModule.class, Set.of(Uses.DATABASE, Uses.MIGRATIONS));

    /** The modules that carry no adapter of their own; a module in neither list fails the test until it is named. */
    private static final Set<Class<?>> NO_ADAPTER = Set.of(UseCaseModule.class, SecretsModule.class, HealthModule.class);

    static Iterable<Function> functions() {
        return Functions.ALL;
    }

    /** Written out by hand, on purpose: a function dropped from the declaration (and from Terraform) must fail here. */
    @Test
    void declaresTheServicesFunctions() {
        assertEquals(Set.of("create-file", "read-file", "list-files", "update-file", "delete-file", "health",
                        "purge-expired", "migrate", "dispatch-events", "synthetic-check"),
                Functions.ALL.stream().map(Function::name).collect(Collectors.toSet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void usesWhatItsComponentsModulesConnectTo(Function function) throws Exception {
        Class<?> handler = Class.forName(function.handler());
        Class<?> wiring = Arrays.stream(handler.getDeclaredClasses())
                .filter(c -> c.isAnnotationPresent(Component.class)).findFirst().orElse(null);
        if (wiring == null) {
            assertEquals(Set.of(Uses.SIGNED_HTTP), function.uses(), function.name() + " has no component");
            return;
        }
        Set<Uses> uses = EnumSet.noneOf(Uses.class);
        Deque<Class<?>> modules = new ArrayDeque<>(Arrays.asList(wiring.getAnnotation(Component.class).modules()));
        Set<Class<?>> seen = new HashSet<>();
        while (!modules.isEmpty()) {
            Class<?> module = modules.pop();
            if (seen.add(module)) {
                assertTrue(MODULE_USES.containsKey(module) || NO_ADAPTER.contains(module),
                        module.getSimpleName() + " is in neither MODULE_USES nor NO_ADAPTER");
                uses.addAll(MODULE_USES.getOrDefault(module, Set.of()));
                modules.addAll(Arrays.asList(module.getAnnotation(Module.class).includes()));
            }
        }
        assertEquals(uses, function.uses(), function.name() + "'s declaration against its component's modules");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void namesAHandlerLambdaCanLoadThatKnowsItsName(Function function) throws Exception {
        Class<?> handler = Class.forName(function.handler());
        assertTrue(RequestHandler.class.isAssignableFrom(handler) || RequestStreamHandler.class.isAssignableFrom(handler));
        assertNotNull(handler.getConstructor(), "Lambda's entry point");
        assertEquals(function.servesApi(), ApiHandler.class.isAssignableFrom(handler), "API functions are ApiHandlers");
        assertEquals(function, Functions.handledBy(handler));
        assertTrue(function.name().matches("[a-z]+(-[a-z]+)*"), function.name());
        assertEquals(1, Functions.ALL.stream().filter(f -> f.name().equals(function.name())).count(), "unique");
    }
}
