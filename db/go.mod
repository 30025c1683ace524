module github.com/cruddur/cruddur-go/db

go 1.26.8
