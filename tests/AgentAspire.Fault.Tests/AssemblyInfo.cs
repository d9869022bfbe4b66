// The fault tests kill and pause real processes and measure takeovers: one at a time, so they do not starve each other.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
