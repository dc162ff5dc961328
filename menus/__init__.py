"""The USSD journeys: screens declared as data, small handlers, and the engine that runs them."""
