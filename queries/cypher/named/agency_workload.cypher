// The tasks an agency leads or coordinates (legalkg query agency NAME), grouped by deadline as of a day: overdue,
// due, or open (no dated deadline). $agency is the agency's IRI, $asOf an ISO date ('2024-06-30'); deadlines are
// kept as ISO strings, so they compare as text.
MATCH (task:Task)-[e:ASSIGNED_TO|COORDINATES]->(:Agency {iri: $agency})
WITH task, CASE type(e) WHEN 'ASSIGNED_TO' THEN 'lead' ELSE 'coordinating' END AS role
RETURN task.iri AS task, role, task.due AS due,
       CASE WHEN task.due IS NULL THEN 'open' WHEN task.due < $asOf THEN 'overdue' ELSE 'due' END AS due_group
