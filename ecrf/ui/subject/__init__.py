"""The subject view: header, screening and allocation, visit schedule, logs, charts."""
