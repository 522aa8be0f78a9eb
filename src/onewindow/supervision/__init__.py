"""一链监管 (审管分离): the results of approvals handed to the department that supervises the licensee.

审管分离 hands over approvals only: when the result of an approval is issued (`cases.events.result_issued` after
准予许可), the supervising department receives it in its inbox (事中事后监管) and on its signed webhooks. A denial's
written decision goes to the applicant alone. Writes are in `acts`, reads in `selectors`.
"""
