from hypothesis import HealthCheck, settings

# Each example loads a ledger through Beancount: slower than hypothesis expects by default.
settings.register_profile(
    "ledger", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("ledger")
