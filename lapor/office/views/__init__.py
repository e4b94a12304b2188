"""Back-office screens, one module per screen (inbox, workspace and its actions,
attachments, supervision, identity reveal, agency administration)."""
