package io.helloserverless.lambda.http;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * A request to an AWS API signed with the SDK's SigV4 signer, for the calls made without a
 * service client (Secrets Manager's {@code GetSecretValue}, the synthetic check's API calls).
 * Credentials are resolved per request, not at construction: the role's keys rotate, none may be
 * resolved before a SnapStart snapshot, and a session token (Lambda's role) is added and signed.
 */
public final class SigV4 {

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsProvider credentials;
    private final String service;
    private final String region;

    public SigV4(AwsCredentialsProvider credentials, String service, String region) {
        this.credentials = credentials;
        this.service = service;
        this.region = region;
    }

    public SignedRequest sign(SdkHttpRequest unsigned, byte[] body) {
        return signer.sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    }
}
