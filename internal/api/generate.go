package api

//go:generate go run ../../cmd/wsgen -root ../.. -model models/workspaces/2015-04-08/service-2.json -paginators models/workspaces/2015-04-08/paginators-1.json -pkg workspaces -out internal/api/workspaces
//go:generate go run ../../cmd/wsgen -root ../.. -model models/workspaces-thin-client/2023-08-22/service-2.json -paginators models/workspaces-thin-client/2023-08-22/paginators-1.json -pkg thinclient -out internal/api/thinclient
