"""Feedback summaries and KPIs over contact attempts; built in the feedback issue."""
