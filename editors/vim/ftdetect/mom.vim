au BufRead,BufNewFile *.mom setfiletype mom
