"""planpub: publish government plans (工作计划、工作要点、行动计划) as a searchable public website."""

__version__ = "0.1.0"
