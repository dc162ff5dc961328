"""What the tests share that is not a fixture: factories, worlds of people, a phone that dials,
helpers that post SMS or sign in. Fixtures live in the conftest.py files next to the tests."""
