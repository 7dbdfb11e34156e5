"""Follow-up (回访): who to call, in what order, and what each call's outcome does.

- `rules`: one SQL pass per reason code -> candidates; `build`: merge them into one open task per
  customer, idempotently; `scoring`: the priority and its plain explanation.
- `work`: next customer with holds, logging outcomes (dispositions); `agents`, `customers`
  (do-not-contact, phone reveals); `timeline`: call panel and customer history; `queue_query`:
  the paged queue table; `settings`: the team's rules, policy, scripts and topics.
- `dependencies`: what the import undo must not delete; `simulate`: a team at work, for demo data.

Every service takes the `Database` first and plain values, returns dataclasses, never prints, and
takes `as_of` wherever "now" matters.
"""
