//! Port conformance suites run against the embedded adapters, plus what only they do
//! (TTL sweeping, signed-URL checks, durability).

mod embedded;
