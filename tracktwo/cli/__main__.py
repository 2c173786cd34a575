from tracktwo.cli import entry

entry()
