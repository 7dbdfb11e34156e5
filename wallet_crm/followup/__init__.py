"""Follow-up (回访) queue rules, priorities and dispositions; built in the queue issue."""
