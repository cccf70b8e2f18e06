print("gorch")
