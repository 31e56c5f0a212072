package io.helloserverless.lambda.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where Secrets Manager is: the regional endpoint unless {@code SECRETS_ENDPOINT} or the SDK's own variable says. */
class SecretsEndpointConfigTest {

    @Test
    void isTheRegionalEndpointUnlessSet() {
        assertEquals(Optional.empty(), Config.fromEnvironment(Map.of("AWS_REGION", "eu-west-1")).secretsEndpoint());
    }

    @Test
    void followsTheSdksVariableAsTheSdkClientDid() {
        assertEquals(Optional.of(URI.create("https://localhost:4566")), Config.fromEnvironment(Map.of(
                "AWS_REGION", "eu-west-1", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "https://localhost:4566")).secretsEndpoint());
    }

    @Test
    void prefersItsOwnVariable() {
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9000")), Config.fromEnvironment(Map.of(
                "AWS_REGION", "eu-west-1", "SECRETS_ENDPOINT", "http://127.0.0.1:9000",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "https://localhost:4566")).secretsEndpoint());
    }
}
