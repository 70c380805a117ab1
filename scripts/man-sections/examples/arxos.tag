.Bd -literal -offset indent
arxos tag                                          # list
arxos tag v1 HEAD~1                                # lightweight
arxos tag -m "Commissioned state" commissioned     # annotated, signed when you have a key
arxos tag -s -m "Handover to facilities" handover  # must be signed
arxos tag -d v1                                    # delete
.Ed
