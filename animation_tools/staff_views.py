def navette(request): pass
def booking_convention(request, pk): pass
