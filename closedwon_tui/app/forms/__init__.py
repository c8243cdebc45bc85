"""Modal forms of the board: a deal's fields, the stage picker."""
