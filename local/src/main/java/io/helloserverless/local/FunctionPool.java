package io.helloserverless.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Execution environments on the laptop: per function, up to {@code maxPerFunction} handler
 * instances, each used by one request at a time as Lambda does, created when first needed.
 */
final class FunctionPool {

    private record Pool(Supplier<Handler> factory, BlockingQueue<Handler> idle, Semaphore capacity) {
    }

    interface Handler extends RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    }

    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    FunctionPool(Map<String, Supplier<Handler>> factories, int maxPerFunction) {
        factories.forEach((name, factory) -> pools.put(name,
                new Pool(factory, new ArrayBlockingQueue<>(maxPerFunction), new Semaphore(maxPerFunction))));
    }

    Handler borrow(String function) {
        Pool pool = pools.get(function);
        if (pool == null) {
            throw new IllegalStateException("no function named " + function);
        }
        pool.capacity().acquireUninterruptibly();
        Handler handler = pool.idle().poll();
        if (handler == null) {
            try {
                handler = pool.factory().get();
            } catch (RuntimeException e) {
                pool.capacity().release();
                throw e;
            }
        }
        return handler;
    }

    void giveBack(String function, Handler handler) {
        Pool pool = pools.get(function);
        pool.idle().offer(handler);
        pool.capacity().release();
    }
}
