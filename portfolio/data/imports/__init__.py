"""Reading NHS England's publications as they are published, into the project's tidy extract
layout (docs/extracts.md): one row per metric × month × organisation (× breakdown)."""
