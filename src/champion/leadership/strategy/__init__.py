"""Strategy deployment (hoshin kanri) in the Lead room, app label `strategy`: the true north,
breakthrough objectives and annual goals of an organisation, their measures and projects, the
X-matrix, bowling charts and catchball. See docs/strategy.md."""
