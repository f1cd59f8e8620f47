// The source files synced, with the digest of what they gave: their edges, conflicts and unresolved short forms.
MATCH (s:Source)
RETURN s.path, s.digest
