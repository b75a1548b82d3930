"""Files that come from outside, read without trusting them: the xlsx guard and its package, XML and sheet checks,
the uploaded-file wrapper, the isolated worker process that parses uploads, evidence file types by content (PDF and
Office checks, package names), the evidence blob store on disk and evidence ZIPs.

May import: base."""
