package io.helloserverless.adapters.redis;

/** Which tier of the cache answered a hit: this adapter's own concern, reported, never part of the core's port. */
public enum CacheTier { LOCAL, SHARED }
