"""Step 3, relationship expectations: the responsibilities of both parties (RACI), contacts and
escalation, customer obligations that pause the provider's clocks, the suppliers' and teams'
commitments behind each promise, service reviews and implementation tasks.

In: a drafted agreement (step 2). Out: terms frozen with each offered version, and the live state of
tasks, meetings and obligations. Empty until issue 12 fills it.
"""
