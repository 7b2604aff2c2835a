"""The pure core of the portfolio dashboard: configuration, extracts, the metric engine and the
command line. Nothing here imports streamlit."""
