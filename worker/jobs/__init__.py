"""Jobs, one module per concern. A job is a plain function taking ids; it opens its own
database session through `worker.context.current()`."""
