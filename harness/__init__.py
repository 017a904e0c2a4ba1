"""Contract harness: proves the effective spec, the generated client and the facade agree with
the API (the emulator or a regional Visma sandbox), and records that proof as VCR cassettes."""
